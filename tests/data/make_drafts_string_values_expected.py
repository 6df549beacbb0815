"""Wrote drafts_string_values_expected.json: what the code before typed values (last run at commit
7abbaf3, which shows sources and standard-row origins in explanations) showed for each draft in
drafts_string_values.json (chat table, profile line, explanations, findings, the draft as a Project).
    python tests/data/make_drafts_string_values_expected.py tests/data/drafts_string_values.json OUT.json"""
import json, sys
from assistant.chat import ChatState
from assistant.chat.replies import profile_text, table
from assistant.chat.views import explain_row
from assistant.drafting.convert import check_draft, draft_to_project
states = json.load(open(sys.argv[1]))
out = {}
for k, s in states.items():
    st = ChatState.model_validate_json(s)
    out[k] = {"table": table(st.draft), "profile": profile_text(st.profile),
              "explain": [explain_row(st, r.id).text for r in st.draft.rows],
              "findings": [[f.rule, f.row_index, f.message] for f in check_draft(st.draft)],
              "project": draft_to_project(st.draft).model_dump(mode="json")}
json.dump(out, open(sys.argv[2], "w"), ensure_ascii=False, indent=1)
