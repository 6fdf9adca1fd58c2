"""The eval set for chatbot behaviour (issue 12): promptfoo-style cases run through the product's chat.

``cases.load_cases`` reads the file, ``runner.run_suite`` runs it through a ``ChatClient``,
``baseline.compare`` diffs it with a previous run, ``formats.render`` writes it out.
"""
