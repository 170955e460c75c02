"""Extension singletons, bound to each app by ``create_app`` (Flask-Migrate's by the command
line's service: core/cli/migrations.py)."""

from flask_appbuilder.utils.legacy import get_sqla_class

db = get_sqla_class()()
