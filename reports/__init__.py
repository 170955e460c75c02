"""PDF report engine (see issue: reports). Plugins will register reports here."""
