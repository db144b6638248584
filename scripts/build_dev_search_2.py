"""Build src/wendao/bench/dev_search_2.csv, the second DEVELOPMENT set of `bench search` (issue 15, session 6).

Two parts, both allowed for tuning (never the held-out sets):
1. stated pains and goals, hand-labelled in scripts/dev_search_2_pains.tsv: the generator's pool
   (wendao/synthetic.py), the example and test profiles, and problem-told sentences paraphrased from public pages
   (their address in `source`). Each row carries the labelling rule in its `rule` column. A goal that states only a
   target with no trouble or tool in it (三年内人均产值提高20%, 申报省级智能工厂, 建成数字化车间) gets no label
   and is left out.
2. the case library's own texts (data/cases.yaml, what was done, in Chinese and English): published case texts,
   labelled with the case's first MIIT scenario (an AI scenario counts as its MIIT parent) and its second as label2.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from wendao.engine.catalog import default_catalog  # noqa: E402

FIELDS = ["id", "source", "language", "case_text", "label", "label2", "told", "source_url", "rule"]


def main() -> None:
    loaded = default_catalog()
    by_id = {s.id: s for s in loaded.catalog.scenarios}

    def miit_name(sid: str) -> str:
        s = by_id[sid]
        return by_id[s.parent].name_zh if s.kind == "ai" and s.parent else s.name_zh

    rows = []
    for line in (ROOT / "scripts" / "dev_search_2_pains.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rid, source, text, label, label2, told, rule = line.split("\t")
        url = source if source.startswith("http") else ""
        rows.append(
            {
                "id": rid,
                "source": "public page" if url else source,
                "language": "zh",
                "case_text": text,
                "label": label,
                "label2": label2,
                "told": told,
                "source_url": url,
                "rule": rule,
            }
        )
    cases = yaml.safe_load((ROOT / "src" / "wendao" / "data" / "cases.yaml").read_text(encoding="utf-8"))["cases"]
    for k, case in enumerate(cases, 1):
        names = list(dict.fromkeys(miit_name(s) for s in case["scenarios"]))
        for lang, text in (("zh", case["done_zh"]), ("en", case["done_en"])):
            rows.append(
                {
                    "id": f"C{k:03d}{lang}",
                    "source": f"cases.yaml {case['id']}",
                    "language": lang,
                    "case_text": text,
                    "label": names[0],
                    "label2": names[1] if len(names) > 1 else "",
                    "told": "solution",
                    "source_url": case["source"],
                    "rule": "the case's own first scenario (second as label2)",
                }
            )
    out = ROOT / "src" / "wendao" / "bench" / "dev_search_2.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows -> {out}")


if __name__ == "__main__":
    main()
