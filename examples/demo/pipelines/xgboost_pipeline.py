"""An end-to-end XGBoost pipeline DAG: step names with job-type suffixes."""

from cursus.api.dag.base_dag import PipelineDAG


def create_xgboost_dag() -> PipelineDAG:
    dag = PipelineDAG()
    dag.add_node("CradleDataLoading_training")
    dag.add_node("TabularPreprocessing_training")
    dag.add_node("XGBoostTraining")
    dag.add_node("XGBoostModel")
    dag.add_node("Package")
    dag.add_node("CradleDataLoading_calibration")
    dag.add_node("TabularPreprocessing_calibration")
    dag.add_node("PyTorchModelEval_evaluation")

    dag.add_edge("CradleDataLoading_training", "TabularPreprocessing_training")
    dag.add_edge("TabularPreprocessing_training", "XGBoostTraining")
    dag.add_edge("XGBoostTraining", "XGBoostModel")
    dag.add_edge("XGBoostModel", "Package")
    dag.add_edge("CradleDataLoading_calibration", "TabularPreprocessing_calibration")
    dag.add_edge("TabularPreprocessing_calibration", "PyTorchModelEval_evaluation")
    return dag
