"""Evaluation harnesses for newsbrief (run as modules, not part of the installed package).

    python -m evaluation.summaries     # ROUGE on Multi-News dev100 against baselines
    python -m evaluation.clean_report  # what cleaning removed on the largest clusters
"""
