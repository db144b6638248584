"""Use case: the report an official sends upward about a programme's cohort (Word and PDF, with charts).

``cohort_document`` gathers the figures the dashboards show (the same queries: joined participants only,
small groups hidden, names not keys) and writes them in the reader's language as a ``report.cohort.Document``:
the cohort at a glance, maturity by city / division / size, the top demands and stated needs, money and
funding (counted and likely) with how each total is formed, pilot candidates with their reasons, progress
towards the targets, and the method. ``report.cohort`` lays it out as PDF and Word.

``build_report`` runs it for one ``CohortReport`` row on the task queue, recording each step so the page can
show progress.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wendao.engine.profile import QUALIFICATION_NAMES
from wendao.engine.scenarios import money_en
from wendao.report import cohort as doc
from wendao.web.accounts.types import Actor
from wendao.web.enterprises.access import city_enterprises
from wendao.web.enterprises.models import Enterprise
from wendao.web.insights import queries, targets
from wendao.web.insights.labels import Labels, english, labels
from wendao.web.insights.models import CohortReport
from wendao.web.insights.pilots import SIZE_POINTS, Weights
from wendao.web.insights.releases import CityFigures, city_figures
from wendao.web.programmes.models import Participant, Programme

STALE = dt.timedelta(minutes=10)
TOP_SCENARIOS = 12
TOP_PILOTS = 10


def _n(value: float, digits: int = 1) -> str:
    """A figure as an official writes it: thousands separated, trailing zeros dropped."""
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _wan(value: float) -> str:
    """An amount in running text: “20 万元” in Chinese, “CNY 200,000” in English (the documents' one rule)."""
    if (translation.get_language() or "").startswith("en"):
        return money_en(value)
    return f"{_n(value)} 万元"


def _maturity_table(dist: queries.Distribution, title: str, names: Labels) -> list[doc.Block]:
    blocks: list[doc.Block] = []
    if not dist.cells:
        return [doc.Paragraph(_("没有足够的数据。"), note=True)]
    blocks.append(
        doc.Table(
            [title, _("企业数"), _("平均分"), _("中位数"), _("最低分"), _("最高分")],
            [
                [names.of(dist.dimension, c.key), str(c.n), _n(c.mean), _n(c.median), _n(c.low), _n(c.high)]
                for c in dist.cells
            ],
            numeric=frozenset({1, 2, 3, 4, 5}),
            widths=[3.2, 1, 1, 1, 1, 1],
        )
    )
    if dist.hidden:
        blocks.append(
            doc.Paragraph(
                _("另有 %(n)s 个分组企业过少（少于 %(min)s 家），未单列。")
                % {"n": dist.hidden, "min": queries.MIN_CELL},
                note=True,
            )
        )
    return blocks


def _pilot_reason(row: queries.PilotRow, names: Labels, consented: bool = False) -> str:
    """Why an enterprise ranks where it does, in its own figures (the components of ``insights.pilots``).
    ``consented``: only what a firm's city share lets its city's officials see (overall score, chain, size):
    its systems, budget and qualifications are profile details the consent text keeps from them."""
    i = row.inputs
    parts = []
    if i.overall is not None:
        parts.append(_("成熟度 %(s)s 分") % {"s": _n(i.overall)})
    if not consented:
        parts.append(_("信息系统 %(n)s 个") % {"n": i.systems})
    if i.budget and i.revenue and not consented:
        parts.append(_("年度预算占营收 %(p)s%%") % {"p": _n(100 * i.budget / i.revenue, 2)})
    if i.in_chain:
        parts.append(_("属于%(chain)s产业链") % {"chain": names.of("chain", row.chain)})
    quals = [] if consented else [QUALIFICATION_NAMES.get(q, (q, q)) for q in i.qualifications]
    if quals:
        parts.append((", " if english() else "、").join(en if english() else zh for zh, en in quals))
    if SIZE_POINTS.get(i.size_class, 0) >= SIZE_POINTS["medium"]:
        parts.append(names.of("size", i.size_class))
    return ("; " if english() else "；").join(parts)


def _release_note(released: CityFigures | None) -> list[doc.Block]:
    """A city report says where its plan figures come from (the city's release), as the officials' pages do."""
    if released is None:
        return []
    if released.released_at is None:
        text = _("同意共享的企业中有规划的满 %(n)s 家后，才显示规划、投资和需求的数字，以免识别出具体企业。") % {
            "n": queries.MIN_CELL
        }
    else:
        text = _(
            "规划、投资和需求的数字取自 %(date)s 生成的本市汇总：金额含一次抽取的随机扰动（约一家企业的量），"
            "满 30 天且至少 2 份规划有变化、或有规划的企业数翻倍时才更新，以免从前后两次查看之差算出某一家企业的规划。"
        ) % {"date": timezone.localtime(released.released_at).strftime("%Y-%m-%d")}
    return [doc.Paragraph(text, note=True)]


def cohort_document(
    programme: Programme | None, today: dt.date, step: Callable[[str], None] | None = None, city: str = ""
) -> doc.Document:
    """The report in the active language: of a programme's cohort, or (``programme`` None) of ``city``'s
    enterprises that agreed to share with their city (``access.city_enterprises``), for the city's officials.
    ``step`` is told what is being done (for the progress display)."""
    say = step or (lambda _text: None)
    names = labels()
    if programme is not None:
        enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
        participants = Participant.objects.filter(programme=programme)
        listed = participants.count()
        joined = participants.filter(joined_at__isnull=False).count()
        dims: tuple[str, ...] = ("city", "division", "size")
    else:
        enterprises = city_enterprises(city)
        listed = joined = enterprises.count()
        dims = ("division", "chain", "size")
    # a city's plan figures come from its release, as on the officials' pages (releases.city_figures)
    released = city_figures(city) if programme is None else None
    plans = released.plans if released else None
    city_name = names.of("city", city)
    assessed = queries.current_rounds(enterprises).count()
    money = released.money if released else queries.money(enterprises)
    sections: list[doc.Section] = []

    say(_("成熟度"))
    dists = queries.maturity_distributions(enterprises, list(dims))
    first = dists[dims[0]]
    maturity: list[doc.Block] = [
        doc.Paragraph(
            _(
                "成熟度取每家企业最近一次完成的评估总分（0–100，问道开放问卷，可折算为国家标准 GB/T 39116 成熟度等级"
                "和工信部中小企业数字化水平的参考等级）。少于 %(n)s 家企业的分组不单列，以免识别出具体企业。"
            )
            % {"n": queries.MIN_CELL}
        )
    ]
    if first.cells:
        maturity.append(
            doc.Figure(
                doc.bar_chart(
                    "maturity_city",
                    _("各城市平均成熟度（0–100）") if programme is not None else _("各行业大类平均成熟度（0–100）"),
                    [names.of(dims[0], c.key) for c in first.cells],
                    [c.mean for c in first.cells],
                    _("平均分"),
                    limit=100,
                )
            )
        )
    titles = {"city": _("城市"), "division": _("行业大类"), "chain": _("产业链"), "size": _("企业规模")}
    for d in dims:
        maturity += _maturity_table(dists[d], titles[d], names)
    heading = _("二、成熟度：按城市、行业、规模") if programme is not None else _("二、成熟度：按行业、产业链、规模")
    sections.append(doc.Section(heading, maturity))

    say(_("需求"))
    whole = queries.demand_by(enterprises, "all", plans)
    top = whole.scenarios[:TOP_SCENARIOS]
    demand_blocks: list[doc.Block] = [
        doc.Paragraph(
            _(
                "按各企业最新规划路线图中的项目计数，实施进度由企业成员在规划页标记（未标记的计为计划中）；"
                "“提出相关需求的企业”指企业填写的痛点或目标与该场景匹配（与规划中“回应了企业提出的问题”同一规则），"
                "不论该场景是否进入其路线图。"
            )
        )
    ]
    if top:
        split = [whole.by_scenario(s) for s in top]
        scenario_names = [names.scenario(s, whole.names.get(s)) for s in top]
        demand_blocks.append(
            doc.Figure(
                doc.stacked_bar_chart(
                    "demand",
                    _("需求最多的场景（路线图项目数）"),
                    scenario_names,
                    [
                        (_("计划中"), [x[0] for x in split]),
                        (_("实施中"), [x[1] for x in split]),
                        (_("已上线"), [x[2] for x in split]),
                    ],
                    _("项目数"),
                )
            )
        )
        demand_blocks.append(
            doc.Table(
                [_("场景"), _("计划中"), _("实施中"), _("已上线"), _("提出相关需求的企业")],
                [
                    [n, str(a), str(b), str(c), str(whole.needs.get(s, 0))]
                    for n, s, (a, b, c) in zip(scenario_names, top, split, strict=True)
                ],
                numeric=frozenset({1, 2, 3, 4}),
                widths=[4, 1, 1, 1, 1.6],
            )
        )
        unmet = sorted(
            (s for s in whole.needs if whole.needs[s] > sum(whole.by_scenario(s))),
            key=lambda s: -(whole.needs[s] - sum(whole.by_scenario(s))),
        )[:5]
        if unmet:
            demand_blocks.append(
                doc.Paragraph(_("企业提出需求、但多数尚未进入路线图的场景（常因预算、基础或前置条件不足）："))
            )
            demand_blocks.append(
                doc.Bullets(
                    [
                        _("%(name)s：%(needs)s 家提出，%(planned)s 家已列入路线图")
                        % {
                            "name": names.scenario(s, whole.names.get(s)),
                            "needs": whole.needs[s],
                            "planned": sum(whole.by_scenario(s)),
                        }
                        for s in unmet
                    ]
                )
            )
        by_city = queries.demand_by(enterprises, dims[0], plans)
        leaders = []
        for g in by_city.groups[:8]:
            best = max(by_city.scenarios, key=lambda s, g=g: by_city.total(g, s), default=None)
            if best is not None and by_city.total(g, best):
                leaders.append(
                    [
                        names.of(dims[0], g),
                        str(by_city.firms[g]),
                        names.scenario(best, by_city.names.get(best)),
                        str(by_city.total(g, best)),
                    ]
                )
        if leaders:
            demand_blocks.append(
                doc.Paragraph(_("各城市需求最多的场景：") if programme is not None else _("各行业大类需求最多的场景："))
            )
            demand_blocks.append(
                doc.Table(
                    [titles[dims[0]], _("有规划的企业"), _("需求最多的场景"), _("项目数")],
                    leaders,
                    numeric=frozenset({1, 3}),
                    widths=[1.4, 1.2, 4, 1],
                )
            )
    else:
        demand_blocks.append(doc.Paragraph(_("还没有足够的规划。"), note=True))
    sections.append(doc.Section(_("三、需求：企业要做什么"), demand_blocks))

    say(_("资金"))
    from wendao.web.insights.views import money_method  # the same wording as the dashboard

    method = money_method()
    sections.append(
        doc.Section(
            _("四、投资、补贴与收益"),
            [
                doc.Table(
                    [_("项目"), _("数值"), _("怎样算出")],
                    [
                        [_("有规划的企业"), f"{money.plans} {_('家')}", method["plans"]],
                        [_("路线图项目"), f"{money.items} {_('个')}", method["items"]],
                        [_("一次性投资"), _wan(money.one_off), method["one_off"]],
                        [_("计入的补贴"), _wan(money.subsidy_counted), method["subsidy_counted"]],
                        [_("可能获得的补贴"), _wan(money.subsidy_likely), method["subsidy_likely"]],
                        [_("年运行费用"), f"{_n(money.annual_running)} {_('万元/年')}", method["annual_running"]],
                        [_("年收益（中位）"), f"{_n(money.benefit_median)} {_('万元/年')}", method["benefit_median"]],
                        [
                            _("可信区间"),
                            f"{_n(money.benefit_low)}–{_n(money.benefit_high)} {_('万元/年')}",
                            method["benefit_band"],
                        ],
                    ],
                    numeric=frozenset({1}),
                    widths=[1.6, 1.6, 5],
                ),
                doc.Paragraph(
                    _("补贴以各政策的官方文件为准；“可能获得”须企业按申报通知确认条件，不是承诺。"), note=True
                ),
                *_release_note(released),
            ],
        )
    )

    say(_("试点"))
    ranking = queries.pilot_ranking(enterprises, Weights(), TOP_PILOTS)
    pilot_intro = _(
        "按“基础扎实、转型意愿强烈、示范带动性强”打分（权重 0.4 / 0.3 / 0.3）：基础看成熟度和信息系统，"
        "意愿看年度预算占营收的比例和已完成的步骤，示范看是否属于产业链、企业规模和资质。共 %(n)s 家参与排名，下表为前 %(k)s 名。"
    )
    if programme is not None:
        pilot_rows = [
            [str(i), r.name, names.of("city", r.city), _n(r.result.score), _pilot_reason(r, names)]
            for i, r in enumerate(ranking.rows, 1)
        ]
        pilot_table = doc.Table(
            [_("排名"), _("企业名称"), _("城市"), _("总分"), _("理由")],
            pilot_rows,
            numeric=frozenset({0, 3}),
            widths=[0.6, 3, 1, 0.8, 5],
        )
    else:
        # a city's officials see what the firms' consent names (overall score, size; the chain is public):
        # the score and the other reasons would give each firm's systems, budget share and qualifications
        pilot_rows = [[str(i), r.name, _pilot_reason(r, names, consented=True)] for i, r in enumerate(ranking.rows, 1)]
        pilot_table = doc.Table(
            [_("排名"), _("企业名称"), _("理由")], pilot_rows, numeric=frozenset({0}), widths=[0.6, 3, 5]
        )
        pilot_intro += _("本市报告只列出企业同意共享的内容（成熟度总分、产业链、规模），不列总分和其他档案细节。")
    sections.append(
        doc.Section(
            _("五、试点候选"),
            [
                doc.Paragraph(pilot_intro % {"n": ranking.total, "k": len(pilot_rows)}),
                pilot_table if pilot_rows else doc.Paragraph(_("还没有参训企业。"), note=True),
            ],
        )
    )

    say(_("目标"))
    progress = targets.programme_progress(programme, today) if programme is not None else []
    goal_rows = []
    for p in progress:
        label = str(p.metric.label)
        if p.metric.parameter_label is not None and p.target.parameter is not None:
            label += f"（{p.metric.parameter_label} {p.target.parameter:g}）"
        goal_rows.append(
            [
                label,
                f"{_n(p.current, 2)} / {_n(p.target.value, 2)} {p.metric.unit}",
                f"{_n(p.percent)}%",
                str(targets.STATE_LABELS[p.state]),
                p.target.due_date.isoformat(),
                p.target.source or "—",
            ]
        )
    sections.append(
        doc.Section(
            _("六、目标进度"),
            [
                doc.Paragraph(
                    _(
                        "进度按从起始日期到截止日期的直线衡量：完成率不低于已过时间的比例即为“进度正常”。"
                        "省级目标中的“先锋应用”和“能力中心”须由主管部门认定，平台只能以已上线的高价值场景近似，"
                        "能力中心不在平台统计范围内。"
                    )
                ),
                doc.Table(
                    [_("指标"), _("当前 / 目标"), _("完成率"), _("状态"), _("截止日期"), _("目标来源")],
                    goal_rows,
                    numeric=frozenset({1, 2}),
                    widths=[3, 2, 1, 1.2, 1.4, 4],
                )
                if goal_rows
                else doc.Paragraph(
                    _("还没有目标。")
                    if programme is not None
                    else _("目标由各培训项目的组织方设定，城市报告不含目标。"),
                    note=True,
                ),
            ],
        )
    )

    say(_("方法"))
    sections.append(
        doc.Section(
            _("七、方法与数据说明"),
            [
                doc.Bullets(
                    [
                        _("只计已接受邀请、同意向本培训项目共享数据的参训企业；导入但未接受邀请的企业不计。")
                        if programme is not None
                        else _("只计本市参加培训（已接受邀请）、并同意向本市主管部门共享数据的企业；其他企业不计。"),
                        _(
                            "每家企业只计最新一份规划；规划由问道根据企业填写的档案、成熟度评估和知识库生成，企业可随时重新生成。"
                        ),
                        _(
                            "投资、收益按各场景的覆盖范围和企业自己的成本数据估算，效果数据每一项都有出处或注明为估算及其方法；年收益经实施风险折算。"
                        ),
                        _("补贴只计政策规则明确适用的部分；须企业确认条件的，单列为“可能获得”。"),
                        _("少于 %(n)s 家企业的分组不单列。") % {"n": queries.MIN_CELL},
                        _("数据截至 %(d)s。") % {"d": today.isoformat()},
                    ]
                )
            ],
        )
    )

    figures = {
        "total": listed,
        "joined": joined,
        "assessed": assessed,
        "plans": money.plans,
        "items": money.items,
        "one_off": _wan(money.one_off),
        "subsidy": _wan(money.subsidy_counted),
        "benefit": f"{_n(money.benefit_median)} {_('万元/年')}",
        "low": _n(money.benefit_low),
        "high": _n(money.benefit_high),
        "city": city_name,
    }
    glance = doc.Section(
        _("一、总体情况"),
        [
            doc.Paragraph(
                _(
                    "%(city)s共有 %(total)s 家企业参加培训并同意向本市共享数据；%(assessed)s 家完成成熟度评估，"
                    "%(plans)s 家已有转型规划，路线图共 %(items)s 个项目，一次性投资合计 %(one_off)s，计入补贴 %(subsidy)s，"
                    "预计年收益中位数合计 %(benefit)s（可信区间 %(low)s–%(high)s）。"
                )
                % figures
            )
            if programme is None
            else doc.Paragraph(
                _(
                    "本培训项目共有参训企业 %(total)s 家，其中 %(joined)s 家已接受邀请并共享数据；%(assessed)s 家完成成熟度评估，"
                    "%(plans)s 家已有转型规划，路线图共 %(items)s 个项目，一次性投资合计 %(one_off)s，计入补贴 %(subsidy)s，"
                    "预计年收益中位数合计 %(benefit)s（可信区间 %(low)s–%(high)s）。"
                )
                % figures
            ),
        ],
    )
    if first.cells:
        best_worst = {
            "best": names.of(dims[0], max(first.cells, key=lambda c: c.mean).key),
            "b": _n(max(c.mean for c in first.cells)),
            "worst": names.of(dims[0], min(first.cells, key=lambda c: c.mean).key),
            "w": _n(min(c.mean for c in first.cells)),
        }
        glance.blocks.append(
            doc.Paragraph(
                (
                    _("成熟度平均分最高的城市为%(best)s（%(b)s 分），最低的为%(worst)s（%(w)s 分）。")
                    if programme is not None
                    else _("成熟度平均分最高的行业大类为%(best)s（%(b)s 分），最低的为%(worst)s（%(w)s 分）。")
                )
                % best_worst
            )
        )
    if top:
        glance.blocks.append(
            doc.Paragraph(
                _("需求最多的三个场景：%(names)s。")
                % {
                    "names": ("、" if not english() else ", ").join(
                        names.scenario(s, whole.names.get(s)) for s in top[:3]
                    )
                }
            )
        )
    if programme is not None:
        title = _("%(programme)s 参训企业数字化转型情况报告") % {"programme": programme.name}
        shared = _("参训企业：%(n)s 家（已共享数据 %(j)s 家）") % {"n": listed, "j": joined}
    else:
        title = _("%(city)s参训企业数字化转型情况报告") % {"city": city_name}
        shared = _("同意向本市共享数据的参训企业：%(n)s 家") % {"n": listed}
    return doc.Document(
        title=title,
        subtitle=_("问道 · 培训项目报告") if programme is not None else _("问道 · 城市报告"),
        meta=[
            _("数据截至：%(d)s") % {"d": today.isoformat()},
            shared,
            _("由问道平台根据企业填写的档案、评估和规划汇总生成；方法见第七部分。"),
        ],
        kpis=[
            doc.Kpi(_("有规划的企业"), str(money.plans)),
            doc.Kpi(_("路线图项目"), str(money.items)),
            doc.Kpi(_("一次性投资"), _wan(money.one_off)),
            doc.Kpi(_("年收益中位数"), f"{_n(money.benefit_median)} {_('万元/年')}"),
        ],
        sections=[glance, *sections],
        running_header=title,
        page_label=_("第 {page} 页"),
        lang="en" if english() else "zh",
    )


def build_report(report_id: int) -> None:
    """Build one queued report: the document, then PDF and Word, each step recorded on the row."""
    report = CohortReport.objects.select_related("programme").get(pk=report_id)
    if report.status not in (CohortReport.Status.QUEUED, CohortReport.Status.RUNNING):
        return
    started = time.monotonic()
    steps = 6  # the calls of ``step`` in cohort_document

    def save(step: str, percent: int) -> None:
        report.step = step
        report.percent = percent
        report.save(update_fields=["step", "percent", "status", "started_at"])

    report.status = CohortReport.Status.RUNNING
    report.started_at = timezone.now()
    language = "en" if report.lang == "en" else "zh-hans"
    try:
        with translation.override(language):
            done: list[str] = []

            def step(text: str) -> None:
                done.append(text)
                save(text, int(60 * len(done) / steps))

            document = cohort_document(report.programme, timezone.localdate(), step, city=report.city)
            save(_("生成 PDF"), 70)
            report.pdf = doc.render_pdf(document)
            save(_("生成 Word"), 90)
            report.docx = doc.render_docx(document)
        if _left_while_built(report):  # it may hold a firm that has withdrawn: not kept
            report.pdf = report.docx = None
            raise RuntimeError(_("生成期间有企业退出，这份报告没有保存，请重新生成。"))
        report.status = CohortReport.Status.DONE
        report.percent = 100
        report.step = ""
        report.seconds = round(time.monotonic() - started, 2)
        report.finished_at = timezone.now()
        report.save()
    except Exception as exc:  # recorded on the row for the organiser, then raised for the worker's log
        report.status = CohortReport.Status.FAILED
        report.error = f"{type(exc).__name__}: {exc}"
        report.finished_at = timezone.now()
        report.pdf = report.docx = None
        report.save(update_fields=["status", "error", "finished_at", "pdf", "docx"])
        raise


def clear_reports_holding(enterprise: Enterprise, since: dt.datetime, programme: Programme | None = None) -> int:
    """Delete the stored reports that may hold ``enterprise`` since it stopped consenting: the programme's reports
    (``programme``) or its city's reports (``programme`` None), made since ``since`` (when it joined or agreed to
    share: older ones were made without it). A report names firms (the pilot candidates) and counts them in every
    aggregate, so it goes whole; the organiser or official builds a new one. A report still being built when the
    firm leaves is discarded by ``build_report`` itself. Returns how many were deleted."""
    reports = CohortReport.objects.filter(created_at__gte=since)
    if programme is not None:
        reports = reports.filter(programme=programme)
    else:
        reports = reports.filter(programme=None, city=enterprise.city)
    done = reports.exclude(status__in=(CohortReport.Status.QUEUED, CohortReport.Status.RUNNING))
    return done.delete()[0]


def _left_while_built(report: CohortReport) -> bool:
    """Whether a firm the report may hold left (its programme, or a programme of its city) after the build began."""
    since = report.started_at or report.created_at
    left = Participant.objects.filter(declined_at__gte=since)
    if report.programme_id is not None:
        return left.filter(programme_id=report.programme_id).exists()
    return left.filter(enterprise__city=report.city).exists()


def start_report(user: Actor, programme: Programme | None, lang: str, city: str = "") -> CohortReport:
    """Queue a report (or return the one already being made for this programme, or city, and language)."""
    from wendao.web.insights.tasks import build_cohort_report

    active = CohortReport.objects.filter(
        programme=programme, city=city, lang=lang, status__in=(CohortReport.Status.QUEUED, CohortReport.Status.RUNNING)
    )
    # a report takes well under a minute; one still unfinished after STALE was lost with its worker
    active.filter(created_at__lt=timezone.now() - STALE).update(
        status=CohortReport.Status.FAILED, error="no worker finished it", finished_at=timezone.now()
    )
    running = active.first()
    if running is not None:
        return running
    report = CohortReport.objects.create(programme=programme, city=city, lang=lang, created_by=user)
    build_cohort_report.enqueue(report.pk)
    return report
