"""The CLI's commands, one module per command group (as openai-python's ``resources/``).

``cli/_app`` declares the commands and their options; these modules run them.
"""
