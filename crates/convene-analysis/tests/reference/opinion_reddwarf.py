#!/usr/bin/env python3
"""Reference groups from red-dwarf (a Python reimplementation of Polis' math)
on the real Polis exports, for crates/convene-analysis/tests/opinion_reddwarf.rs.

Usage (from the repository root):

    python3 -m venv /tmp/reddwarf-venv
    /tmp/reddwarf-venv/bin/pip install red-dwarf==0.4.0
    /tmp/reddwarf-venv/bin/python crates/convene-analysis/tests/reference/opinion_reddwarf.py

Reads every conversation folder in ../shared/data/polis (or $CONVENE_POLIS_DATA)
and writes crates/convene-analysis/tests/reference/opinion_reddwarf.json: per
conversation, red-dwarf's group of each participant, its adjusted Rand index
against the groups Polis assigned, its representative statements, consensus
statements and group-aware consensus.
Deterministic: red-dwarf's k-means starts from its fixed "polis" centres and
its random state is fixed.

Polis data: CC BY 4.0, The Computational Democracy Project
(https://github.com/compdemocracy/openData); see shared/data/polis/README.md.
"""

import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import reddwarf
from importlib.metadata import version
from reddwarf.implementations.polis import run_pipeline
from sklearn.metrics import adjusted_rand_score

SEED = 42
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
DATA = Path(os.environ.get("CONVENE_POLIS_DATA", REPO.parent / "shared" / "data" / "polis"))
OUT = HERE / "opinion_reddwarf.json"
META = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}


def load_votes(folder: Path):
    """Votes as red-dwarf expects them: latest vote per participant and statement."""
    votes_csv = folder / "votes.csv"
    if votes_csv.is_file():
        v = pd.read_csv(votes_csv)
        v["order"] = np.arange(len(v))
        v = v.sort_values(["timestamp", "order"], kind="stable")
        v = v.drop_duplicates(["voter-id", "comment-id"], keep="last")
        return [
            {
                "participant_id": int(r["voter-id"]),
                "statement_id": int(r["comment-id"]),
                "vote": int(r["vote"]),
                "modified": int(r["timestamp"]),
            }
            for _, r in v.iterrows()
        ]
    pv = pd.read_csv(folder / "participants-votes.csv")
    out = []
    for _, r in pv.iterrows():
        for col in pv.columns:
            if col not in META and not pd.isna(r[col]):
                out.append(
                    {
                        "participant_id": int(r["participant"]),
                        "statement_id": int(col),
                        "vote": int(r[col]),
                        "modified": 0,
                    }
                )
    return out


def analyse(folder: Path):
    comments = pd.read_csv(folder / "comments.csv")
    mod_out = sorted(int(c) for c in comments.loc[comments["moderated"] == -1, "comment-id"])
    votes = load_votes(folder)
    result = run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=SEED)
    labels = result.participants_df["cluster_id"]
    participants = {
        str(int(pid)): (None if pd.isna(g) else int(g)) for pid, g in labels.items()
    }
    pv = pd.read_csv(folder / "participants-votes.csv")
    polis = {
        str(int(r["participant"])): (None if pd.isna(r["group-id"]) else int(r["group-id"]))
        for _, r in pv.iterrows()
    }
    both = sorted(
        (p for p in participants if participants[p] is not None and polis.get(p) is not None),
        key=int,
    )
    ari = adjusted_rand_score([polis[p] for p in both], [participants[p] for p in both])
    groups = len({g for g in participants.values() if g is not None})
    keys = ["tid", "repful-for", "n-success", "n-trials", "p-success", "p-test", "repness", "repness-test", "best-agree"]
    repness = {
        str(int(g)): [{k: plain(st[k]) for k in keys if k in st} for st in statements]
        for g, statements in result.repness.items()
    }
    consensus = {
        direction: [{k: plain(v) for k, v in st.items()} for st in result.consensus[direction]]
        for direction in ("agree", "disagree")
    }
    gac = {
        str(int(tid)): float(v)
        for tid, v in result.group_aware_consensus["agree"].items()
        if int(tid) not in mod_out
    }
    return {
        "groups": groups,
        "compared": len(both),
        "ari_vs_polis": round(float(ari), 12),
        "participants": participants,
        "repness": repness,
        "consensus": consensus,
        "group_aware_consensus": gac,
    }


def plain(value):
    """numpy scalars to plain JSON values."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return value


def main():
    if not DATA.is_dir():
        sys.exit(f"Polis data not found at {DATA}; set CONVENE_POLIS_DATA")
    conversations = {}
    for folder in sorted(p for p in DATA.iterdir() if (p / "comments.csv").is_file()):
        conversations[folder.name] = analyse(folder)
        c = conversations[folder.name]
        print(f"{folder.name}: groups={c['groups']} compared={c['compared']} ARI={c['ari_vs_polis']:.4f}")
    doc = {
        "tool": "red-dwarf",
        "version": version("red-dwarf"),
        "seed": SEED,
        "data": "Polis open data, CC BY 4.0, The Computational Democracy Project (https://github.com/compdemocracy/openData)",
        "conversations": conversations,
    }
    OUT.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
