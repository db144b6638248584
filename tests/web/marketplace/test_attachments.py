"""Proposal attachments: plain PDFs only (read from the bytes), size-limited, downloaded only by the proposal's
provider and the publisher, always as a download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import client_for
from wendao.web.accounts.models import User
from wendao.web.marketplace import services
from wendao.web.marketplace.models import Attachment, Proposal

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def upload(client_user: User, proposal: Proposal, name: str, content: bytes) -> int:
    url = reverse("marketplace:proposal_attach", args=[proposal.pk])
    return client_for(client_user).post(url, {"file": SimpleUploadedFile(name, content)}).status_code


def test_a_provider_attaches_a_pdf_that_the_publisher_downloads(
    pete: User, alice: User, pete_proposal: Proposal
) -> None:
    assert upload(pete, pete_proposal, "技术方案.pdf", PDF) == 302
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.size) == ("技术方案.pdf", len(PDF))
    page = client_for(alice).get(reverse("marketplace:challenge", args=[pete_proposal.challenge_id]))
    assert reverse("marketplace:attachment", args=[attachment.pk]) in page.content.decode()
    response = client_for(alice).get(reverse("marketplace:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("方案.pdf", b"<html><script>alert(1)</script></html>", "只能上传 PDF 文件"),
        ("方案.html", PDF, "只能上传 PDF 文件"),
        ("方案.pdf", PDF + b"<< /S /JavaScript /JS (app.alert(1)) >>", "含有脚本"),
        ("方案.pdf", PDF + b"<< /S /J#61vaScript >>", "含有脚本"),
        ("方案.pdf", PDF + b"<< /Type /EmbeddedFile >>", "内嵌文件"),
        ("方案.pdf", b"%PDF-1.4\n" + b"0" * services.ATTACHMENT_MAX_BYTES, "文件超过 5 MB"),
    ],
)
def test_anything_but_a_plain_pdf_within_the_limit_is_refused_with_the_reason(
    pete: User, pete_proposal: Proposal, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(services.MarketplaceError, match=message):
        services.attach_to_proposal(pete, pete_proposal, name, content)
    client = client_for(pete)
    url = reverse("marketplace:proposal_attach", args=[pete_proposal.pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_folder_in_the_file_name_is_dropped(pete: User, pete_proposal: Proposal) -> None:
    attachment = services.attach_to_proposal(pete, pete_proposal, "..\\..\\etc/方案\x07.pdf", PDF)
    assert attachment.name == "方案.pdf"


def test_another_provider_cannot_download_or_attach(paula: User, pete: User, pete_proposal: Proposal) -> None:
    attachment = services.attach_to_proposal(pete, pete_proposal, "方案.pdf", PDF)
    assert client_for(paula).get(reverse("marketplace:attachment", args=[attachment.pk])).status_code == 404
    assert upload(paula, pete_proposal, "冒充.pdf", PDF) == 404


def test_at_most_three_attachments_per_proposal(pete: User, pete_proposal: Proposal) -> None:
    for i in range(services.ATTACHMENTS_PER_PROPOSAL):
        services.attach_to_proposal(pete, pete_proposal, f"{i}.pdf", PDF)
    with pytest.raises(services.MarketplaceError, match="最多 3 个附件"):
        services.attach_to_proposal(pete, pete_proposal, "再一个.pdf", PDF)
