"""Every figure and read model that pages, API, feeds and CLI show, from one place."""
