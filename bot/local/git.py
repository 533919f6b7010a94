"""The local repository adapter: a `Workspace` over a git work tree, through the `git` command."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path


class GitError(RuntimeError):
    """A git command failed, or the repository is not in a state planbot can plan in."""


def _run(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8", check=False
        )
    except FileNotFoundError as exc:
        raise GitError("the git command is not installed") from exc
    if check and result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise GitError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
    return result


def find_repository(path: Path) -> Path | None:
    """The top of the git work tree that holds `path`, or None outside git."""
    start = path if path.is_dir() else path.parent
    if not start.exists():
        return None
    try:
        result = _run(start, "rev-parse", "--show-toplevel", check=False)
    except GitError:
        return None
    return Path(result.stdout.strip()) if result.returncode == 0 else None


class FolderSource:
    """A `FileSource` over a plain folder (outside git)."""

    SKIP = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", "vendor", "target", "dist"})

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def paths(self) -> list[str]:
        found: list[str] = []
        if not self.root.is_dir():
            return found
        stack = [self.root]
        while stack:
            folder = stack.pop()
            for entry in folder.iterdir():
                if entry.name in self.SKIP:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    stack.append(entry)
                elif entry.is_file():
                    found.append(entry.relative_to(self.root).as_posix())
        return sorted(found)

    def resolve(self, path: str) -> Path:
        """`path` inside the root; anything that would leave it is refused."""
        target = (self.root / path).resolve()
        if not target.is_relative_to(self.root):
            raise GitError(f"{path} is outside the repository")
        return target

    def read_text(self, path: str) -> str | None:
        target = self.resolve(path)
        try:
            return target.read_text(encoding="utf-8")
        except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError):
            return None

    def write(self, files: Mapping[str, str]) -> list[Path]:
        written: list[Path] = []
        for path, text in files.items():
            target = self.resolve(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
        return written


class GitWorkspace(FolderSource):
    """A git work tree: files as they are on disk, branches and commits through `git`."""

    def paths(self) -> list[str]:
        result = _run(self.root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        return sorted({p for p in result.stdout.split("\0") if p})

    def branches(self) -> list[str]:
        result = _run(self.root, "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes")
        return [line for line in result.stdout.splitlines() if line]

    def current_branch(self) -> str | None:
        result = _run(self.root, "symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return result.stdout.strip() or None

    def has_commits(self) -> bool:
        return _run(self.root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0

    def dirty_paths(self) -> list[str]:
        """Tracked files with changes, staged or not. Untracked files do not make a tree dirty."""
        result = _run(self.root, "status", "--porcelain", "--untracked-files=no")
        return [line[3:] for line in result.stdout.splitlines() if line.strip()]

    def is_tracked(self, path: str) -> bool:
        return _run(self.root, "ls-files", "--error-unmatch", "--", path, check=False).returncode == 0

    def is_ignored(self, path: str) -> bool:
        return _run(self.root, "check-ignore", "-q", "--", path, check=False).returncode == 0

    def switch_to_new_branch(self, branch: str) -> None:
        if branch in self.branches():
            raise GitError(f"branch {branch} already exists")
        _run(self.root, "checkout", "--quiet", "-b", branch)

    def commit(self, branch: str, files: Mapping[str, str], message: str) -> str:
        """Write `files` and commit them as ONE commit on `branch` (created from HEAD when new)."""
        current = self.current_branch()
        if current != branch:
            self.switch_to_new_branch(branch)
        self.write(files)
        _run(self.root, "add", "--", *files.keys())
        _run(self.root, "commit", "--quiet", "--no-verify", "-m", message)
        return _run(self.root, "rev-parse", "HEAD").stdout.strip()


def author_name(root: Path) -> str | None:
    """Who is deciding at this terminal: git's user.name, when set."""
    try:
        result = _run(root, "config", "user.name", check=False)
    except GitError:
        return None
    return result.stdout.strip() or None

