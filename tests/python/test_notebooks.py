"""Every notebook in analysis/notebooks runs top to bottom without an error (nbclient, Debian's
python3 kernel), so none goes stale as blocksim changes."""

import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[2] / "analysis" / "notebooks"


def test_the_notebooks_the_docs_promise_are_there():
    for name in ("quickstart", "hdd_vs_ssd", "write_cache", "replay"):
        assert (NOTEBOOKS / f"{name}.ipynb").exists(), name


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebook_runs(path):
    notebook = nbformat.read(path, as_version=4)
    # cwd is the notebook's folder, as in Jupyter; PYTHONPATH and BLOCKSIM_BUILD come from conftest
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert not errors
