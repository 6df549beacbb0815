"""CI runs exactly the README's test command (which installs what the tests need, PostgreSQL included)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### 2. 运行测试"):]
    command = re.search(r"```bash\n(.+?)\n```", section, re.S).group(1)
    assert "postgresql" in command and "chromium" in command
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
