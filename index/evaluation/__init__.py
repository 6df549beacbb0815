"""Evaluation and benchmark scripts (not used at runtime; `pip install jixiao[eval]` for scikit-learn):

    python -m index.evaluation.embedders   # embedders, lexical scorers and fusions on data/paraphrase.json
    python -m index.evaluation.pipeline    # the shipped HybridIndex search path on the same set
    python -m index.evaluation.bench       # scale benchmark on synthetic corpora
"""
