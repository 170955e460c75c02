"""The home service: the 工作台 every logged-in user lands on (to-dos, cards, charts) and the
notifications (bell, page, REST API, optional e-mail). Modules contribute cards, charts and
overdue items through ``register_dashboard_items`` (core/home/hookspecs.py)."""
