"""The seeds/002 usage examples, run against ``catalog_core.registry_manager`` (imports adapted
from ``src.pipeline_deps``) with their printed output checked, plus isolation and thread safety.
The dependency-resolver example is out of scope (there is no resolver here)."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest

from catalog_core.registry_manager import (
    RegistryManager,
    SpecificationRegistry,
    clear_context,
    get_context_stats,
    get_default_registry,
    get_pipeline_registry,
    get_registry,
    integrate_with_pipeline_builder,
    list_contexts,
    registry_manager,
)


def spec(step_type: str, name: str = "") -> SimpleNamespace:
    """A stand-in StepSpecification: the registry only reads ``step_type``."""
    return SimpleNamespace(step_type=step_type, name=name or step_type)


training_data_spec, validation_data_spec = spec("DataLoading", "train"), spec("DataLoading", "val")
preprocess_spec, training_spec = spec("TabularPreprocessing"), spec("XGBoostTraining")
task_spec = spec("Task")


@pytest.fixture(autouse=True)
def clean_global_manager():
    registry_manager.clear_all_contexts()
    yield
    registry_manager.clear_all_contexts()


def test_basic_registry_management(capsys: pytest.CaptureFixture[str]) -> None:
    manager = RegistryManager()
    training_registry = manager.get_registry("training_pipeline")
    validation_registry = manager.get_registry("validation_pipeline")
    assert training_registry is not None and validation_registry is not None
    training_registry.register_specification("data_loading", training_data_spec)
    validation_registry.register_specification("data_loading", validation_data_spec)
    contexts = manager.list_contexts()
    print(f"Active contexts: {contexts}")
    assert (
        capsys.readouterr().out == "Active contexts: ['training_pipeline', 'validation_pipeline']\n"
    )
    assert training_registry.get_specification("data_loading") is training_data_spec
    assert validation_registry.get_specification("data_loading") is validation_data_spec
    assert registry_manager.list_contexts() == []  # a new manager is not the global one


def test_using_the_global_registry_manager(capsys: pytest.CaptureFixture[str]) -> None:
    pipeline_registry = get_registry("my_pipeline")
    assert pipeline_registry is not None
    pipeline_registry.register_specification("preprocessing", preprocess_spec)
    pipeline_registry.register_specification("training", training_spec)
    all_contexts = list_contexts()
    print(f"All contexts: {all_contexts}")
    assert capsys.readouterr().out == "All contexts: ['my_pipeline']\n"
    assert registry_manager.get_registry("my_pipeline") is pipeline_registry
    assert pipeline_registry.list_specifications() == ["preprocessing", "training"]


def test_context_statistics(capsys: pytest.CaptureFixture[str]) -> None:
    for context, types in (
        ("training_pipeline", ["A", "B", "C", "A", "B"]),
        ("validation_pipeline", ["A", "B", "A"]),
    ):
        registry = get_registry(context)
        assert registry is not None
        for i, step_type in enumerate(types):
            registry.register_specification(f"step{i}", spec(step_type))
    stats = get_context_stats()
    for context_name, context_stats in stats.items():
        print(f"Context '{context_name}':")
        print(f"  Steps: {context_stats['step_count']}")
        print(f"  Step Types: {context_stats['step_type_count']}")
    assert capsys.readouterr().out == (  # the seed's "Example output", verbatim
        "Context 'training_pipeline':\n"
        "  Steps: 5\n"
        "  Step Types: 3\n"
        "Context 'validation_pipeline':\n"
        "  Steps: 3\n"
        "  Step Types: 2\n"
    )


def test_context_cleanup(capsys: pytest.CaptureFixture[str]) -> None:
    old = get_registry("old_pipeline")
    assert old is not None
    old.register_specification("x", task_spec)
    get_registry("other")
    success = clear_context("old_pipeline")
    if success:
        print("Context cleared successfully")
    registry_manager.clear_all_contexts()
    print("All contexts cleared")
    assert capsys.readouterr().out == "Context cleared successfully\nAll contexts cleared\n"
    assert list_contexts() == [] and old.list_specifications() == []
    assert clear_context("old_pipeline") is False  # "already cleared or didn't exist"


def test_context_not_found() -> None:
    registry = get_registry("nonexistent_context", create_if_missing=False)
    assert registry is None and list_contexts() == []


@integrate_with_pipeline_builder
class MyPipelineBuilder:
    def __init__(self, base_config: Any) -> None:
        self.base_config = base_config

    def build_pipeline(self) -> Any:
        data_spec = self.registry.get_specification("data_loading")  # type: ignore[attr-defined]
        return data_spec


@integrate_with_pipeline_builder
class TrainingPipelineBuilder:
    def build(self) -> list[str]:
        return self.registry.list_specifications()  # type: ignore[attr-defined]


class PipelineConfig:
    def __init__(self, pipeline_name: str) -> None:
        self.pipeline_name = pipeline_name


def test_pipeline_builder_integration_and_automatic_context_detection() -> None:
    config = PipelineConfig("production_training")
    builder = MyPipelineBuilder(config)
    assert builder.registry is get_registry("production_training")  # type: ignore[attr-defined]
    builder.registry.register_specification("data_loading", training_data_spec)  # type: ignore[attr-defined]
    assert builder.build_pipeline() is training_data_spec
    other = MyPipelineBuilder(PipelineConfig("staging_training"))
    assert other.build_pipeline() is None  # isolated from production_training
    plain = TrainingPipelineBuilder()  # no base_config: the default pipeline context
    assert plain.registry is get_registry("default_pipeline")  # type: ignore[attr-defined]
    assert plain.build() == []


def test_the_decorator_with_an_explicit_manager() -> None:
    manager = RegistryManager()

    @integrate_with_pipeline_builder(manager=manager)
    class Builder:
        def __init__(self, config: Any) -> None:
            self.config = config

    builder = Builder(PipelineConfig("tenant_a"))
    assert builder.registry is manager.get_registry("tenant_a")  # type: ignore[attr-defined]
    assert list_contexts() == [] and manager.list_contexts() == ["tenant_a"]


def test_environment_pipeline_and_tenant_contexts_are_isolated() -> None:
    dev_data_spec, prod_data_spec = spec("DataLoading", "dev"), spec("DataLoading", "prod")
    dev_registry, prod_registry = get_registry("development"), get_registry("production")
    staging_registry = get_registry("staging")
    assert dev_registry and prod_registry and staging_registry is not None
    dev_registry.register_specification("data_loading", dev_data_spec)
    prod_registry.register_specification("data_loading", prod_data_spec)
    assert dev_registry.get_specification("data_loading") is dev_data_spec
    assert prod_registry.get_specification("data_loading") is prod_data_spec
    assert staging_registry.get_specification("data_loading") is None
    assert list_contexts() == ["development", "production", "staging"]


def test_legacy_functions_and_migration_path() -> None:
    assert get_pipeline_registry("my_pipeline") is get_registry("my_pipeline")
    assert get_default_registry() is get_registry("default")
    assert isinstance(get_registry("my_context"), SpecificationRegistry)
    standalone = SpecificationRegistry()  # the old way still works
    assert standalone.context_name == "default" and standalone.list_specifications() == []


def test_step_types_come_from_attributes_or_keys() -> None:
    registry = SpecificationRegistry("types")
    registry.register_specification("a", spec("Processing"))
    registry.register_specification("b", {"step_type": "Training", "outputs": []})
    registry.register("c", spec("Processing"))  # the framework's newer name
    registry.register_specification("d", object())  # no step type: listed, not typed
    assert registry.list_step_types() == ["Processing", "Training"]
    assert [s.name for s in registry.get_specifications_by_type("Processing")] == [
        "Processing",
        "Processing",
    ]
    registry.register_specification("a", spec("Transform"))  # replacing re-types it
    assert registry.list_step_types() == ["Transform", "Training", "Processing"]
    assert len(registry.get_specifications_by_type("Processing")) == 1
    assert registry.stats() == {"step_count": 4, "step_type_count": 3}
    assert registry.list_step_names() == ["a", "b", "c", "d"]
    with pytest.raises(ValueError, match="non-empty"):
        registry.register_specification("", spec("X"))
    with pytest.raises(ValueError, match="None"):
        registry.register_specification("e", None)
    with pytest.raises(ValueError, match="context_name"):
        get_registry("")


def test_thread_safety_from_the_seed_and_under_contention() -> None:
    def worker_function(context_name: str) -> None:
        registry = get_registry(f"worker_{context_name}")
        assert registry is not None
        registry.register_specification("task", task_spec)

    threads = [threading.Thread(target=worker_function, args=(str(i),)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(list_contexts()) == [f"worker_{i}" for i in range(5)]

    barrier = threading.Barrier(16)
    seen: list[SpecificationRegistry | None] = []

    def contend(i: int) -> None:
        barrier.wait()
        registry = get_registry("contended")
        seen.append(registry)
        assert registry is not None
        for j in range(100):
            registry.register_specification(f"t{i}_s{j}", spec(f"Type{j % 7}"))

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(r) for r in seen}) == 1  # every thread got the same registry
    assert get_context_stats()["contended"] == {"step_count": 1600, "step_type_count": 7}
