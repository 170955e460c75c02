"""Assets (资产管理, Art. 16-19): asset classes, configuration standards, asset cards."""
