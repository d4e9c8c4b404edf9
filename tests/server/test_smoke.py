from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


async def test_definition_from_dag_node(editor) -> None:
    root = FIXTURES / "irregular"
    await editor.start(root)
    dag = root / "pipelines/training_dag.py"
    await editor.open(dag)
    result = await editor.definition(dag, 5, 20)
    print(result)
    assert result
