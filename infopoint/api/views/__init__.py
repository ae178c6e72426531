"""Version 1 of the API: thin views over the same services and selectors the site uses.

One module per area; ``urls.py`` names each view.
"""
