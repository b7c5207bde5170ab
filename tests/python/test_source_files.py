"""Small files with one purpose each: no source file of the project is over 400 lines."""

LIMIT = 400
SOURCES = ("*.cpp", "*.hpp", "*.py", "*.proto")


def test_no_source_file_is_over_the_limit(source_dir):
    long_files = []
    for top in ("sim", "models", "bindings", "analysis", "tests", "bench", "scripts"):
        for pattern in SOURCES:
            for path in sorted((source_dir / top).rglob(pattern)):
                lines = len(path.read_text(errors="replace").splitlines())
                if lines > LIMIT:
                    long_files.append(f"{path.relative_to(source_dir)}: {lines} lines")
    assert not long_files, f"split these along their concerns (at most {LIMIT} lines):\n" + "\n".join(long_files)
