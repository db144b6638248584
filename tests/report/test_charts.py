from __future__ import annotations

import io
import re

from matplotlib import pyplot as plt

from wendao.report.charts import _setup, _tight_svg


def _same_text(svg: str) -> str:
    """The SVG without what differs between two savefig calls of one figure: its date and its clip-path ids."""
    svg = re.sub(r"<dc:date>.*?</dc:date>", "", svg)
    ids: dict[str, str] = {}
    return re.sub(r"\bp[0-9a-f]{10}\b", lambda m: ids.setdefault(m.group(0), f"clip{len(ids)}"), svg)


def test_a_chart_drawn_once_is_cropped_as_matplotlibs_tight_bounding_box_crops_it() -> None:
    _setup()
    fig, ax = plt.subplots(figsize=(7.2, 3.2))
    ax.barh([0, 1, 2], [3.0, 12.5, 7.25], color="#1f5fa8")
    ax.set_yticks([0, 1, 2])
    ax.set_yticklabels(["设备预测性维护", "质量在线检测（视觉）", "Energy management"], fontsize=8)
    ax.set_xlabel("万元", fontsize=8)
    ax.legend(["收益"], loc="lower right")
    once = _tight_svg(fig)  # first, on a figure never drawn: the crop is measured without a drawing
    tight = io.StringIO()
    fig.savefig(tight, format="svg", bbox_inches="tight")
    plt.close(fig)
    assert 'width="' in once
    assert _same_text(once) == _same_text(tight.getvalue())
