"""Wrote drafts_string_values.json: drafts as the code before typed values stored them
(ChatState.model_dump_json() with string values and budget_wan/budget_raw/budget_unit).
Run at commit e36cf36 from the repository root, with the bundled corpus indexed:
    HF_HUB_OFFLINE=1 JIXIAO_HOME=... python tests/data/make_drafts_string_values.py tests/data/drafts_string_values.json
Kept as the record of how the fixture was made; it does not run against the current models."""
import json, sys
from pathlib import Path
from assistant import chat, drafts
from assistant.draft_store import DraftStore
from assistant.services import load_services

out = Path(sys.argv[1])
services = load_services()
store = DraftStore(out.with_suffix(".sqlite3"))
states = {}
# 1: a service project, 万元 budget, a few edits
draft_id, state = drafts.new_draft(store, "alice")
for text in ["社区居家养老服务站运营，预算40万元，服务350名老人", "满意度改为≥92%", "接受第1行", "增加一个生态效益指标"]:
    r = chat.respond(state, text, services)
    print(text, "->", r.action, r.changed, file=sys.stderr)
drafts.save_draft(store, "alice", draft_id, state, "fixture")
states["yang_lao"] = store.load(draft_id, "alice")
# 2: a 元 budget, a blank quantity left open
draft_id, state = drafts.new_draft(store, "alice")
for text in ["项目：公务用车租赁，预算36000元"]:
    r = chat.respond(state, text, services)
    print(text, "->", r.action, r.changed, file=sys.stderr)
drafts.save_draft(store, "alice", draft_id, state, "fixture")
states["car_rental_yuan"] = store.load(draft_id, "alice")
# 3: no budget at all
draft_id, state = drafts.new_draft(store, "alice")
r = chat.respond(state, "河道保洁服务，清理河道12公里", services)
print(r.action, file=sys.stderr)
drafts.save_draft(store, "alice", draft_id, state, "fixture")
states["river_no_budget"] = store.load(draft_id, "alice")
out.write_text(json.dumps(states, ensure_ascii=False, indent=1), encoding="utf-8")
for k, s in states.items():
    d = json.loads(s)
    print(k, d["profile"]["budget_wan"], d["profile"]["budget_raw"], d["profile"]["budget_unit"],
          [r["value"] for r in d["draft"]["rows"]], file=sys.stderr)
