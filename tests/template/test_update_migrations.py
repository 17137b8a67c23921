"""Why this template renames files without ``_migrations``.

A ``_migrations`` entry is a command copier runs in the repository being updated, so copier
9 refuses any update whose version range contains one unless it gets ``--trust``; Renovate's
copier manager (hosted) and the template-update workflow never pass it. Here a real migration
(the rename of handoffs/TEMPLATE.md between two tagged releases) is refused without
``--trust`` and works with it. The shipped template instead renames declaratively (the file
moves in template/, its old path is an update-only ``_exclude``): test_update_rollout shows
that update, without ``--trust``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers.template import (
    COMBOS,
    commit_all,
    copier_config,
    git,
    render,
    run,
    tagless_clone,
    template_source,
    tool,
)
from tests.helpers.update import RENAMED_KEPT, copier_update

pytestmark = pytest.mark.slow

MIGRATION = f"""
_migrations:
  - version: v0.2.0
    when: "{{{{ _stage == 'before' }}}}"
    command: [git, mv, --, {RENAMED_KEPT[0]}, {RENAMED_KEPT[1]}]
"""


def test_the_shipped_template_has_no_migrations() -> None:
    config = copier_config()
    assert "_migrations" not in config and "_tasks" not in config


def test_a_migration_needs_trust(tmp_path: Path) -> None:
    clone = tagless_clone(template_source(tmp_path), tmp_path / "template")
    git(clone, "tag", "v0.1.0")
    git(clone, "mv", *(f"template/{path}" for path in RENAMED_KEPT))
    with (clone / "copier.yml").open("a", encoding="utf-8") as config:
        config.write(MIGRATION)
    git(clone, "commit", "-q", "-am", "v0.2.0: rename the handoff template by a migration")
    git(clone, "tag", "v0.2.0")
    repo = tmp_path / "repo"
    render(clone, repo, COMBOS["bare-adopt"], vcs_ref="v0.1.0")
    commit_all(repo)

    refused = copier_update(repo, "--vcs-ref", "v0.2.0", check=False)
    assert refused.returncode != 0
    assert "unsafe feature: migrations" in refused.stderr
    assert "--trust" in refused.stderr
    assert git(repo, "status", "--porcelain") == ""

    trusted = [tool("copier"), "update", "--defaults", "--skip-answered", "--trust",
               "--vcs-ref", "v0.2.0"]
    run(trusted, repo)
    assert not (repo / RENAMED_KEPT[0]).exists() and (repo / RENAMED_KEPT[1]).is_file()
    assert f"R  {RENAMED_KEPT[0]} -> {RENAMED_KEPT[1]}" in git(repo, "status", "--porcelain")
