"""Built-in modules. Each is a plugin exactly like a third-party one."""
