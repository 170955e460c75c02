"""The search service (docs/search.md): list filters that find Chinese, a quick search box,
saved filters per user, and the global search across the active modules' entity types."""
