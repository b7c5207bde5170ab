"""The line between the stack and the hardware: models/ includes only sim/core/, the generated
schema and models/ itself."""

import re

ALLOWED = ("sim/core/", "blocksim/", "models/")


def test_models_never_include_the_stack(source_dir):
    offenders = []
    for path in sorted((source_dir / "models").rglob("*.[ch]pp")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if match and not match.group(1).startswith(ALLOWED):
                offenders.append(f"{path.relative_to(source_dir)}:{number}: {match.group(1)}")
    assert not offenders, "models/ must not include from the stack:\n" + "\n".join(offenders)
