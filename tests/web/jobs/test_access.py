"""Only the programme's organisers start, watch and download its jobs; everyone else gets 404 (never 403)."""

from __future__ import annotations

import pytest

from tests.web.conftest import client_for
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise
from wendao.web.jobs import services
from wendao.web.jobs.models import BatchJob
from wendao.web.programmes.models import Programme


@pytest.fixture
def job(olivia: User, programme: Programme, cohort: list[Enterprise]) -> BatchJob:
    return services.start_job(olivia, programme, "export")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "bob", "oscar", "pete"])
def test_everyone_but_the_programmes_organisers_gets_404_everywhere(
    who: str, request: pytest.FixtureRequest, job: BatchJob, programme: Programme, other_programme: Programme
) -> None:
    client = client_for(request.getfixturevalue(who))
    for url in (
        f"/jobs/programmes/{programme.pk}/",
        f"/jobs/{job.pk}/",
        f"/jobs/{job.pk}/progress/",
        f"/jobs/{job.pk}/download/",
        f"/jobs/{job.pk}/summary.xlsx",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/jobs/programmes/{programme.pk}/start/", {"kind": "export"}).status_code == 404
    assert BatchJob.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(job: BatchJob) -> None:
    response = client_for(None).get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_organiser_sees_the_queued_job(olivia: User, job: BatchJob) -> None:
    page = client_for(olivia).get(f"/jobs/{job.pk}/").content.decode()
    assert "排队中" in page
    assert "every 2s" in page
