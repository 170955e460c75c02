"""Excel (.xlsx) export, template and all-or-nothing import of every entity type (docs/xlsx.md).

``columns`` says which columns a type has in a sheet, ``export``/``read``/``importer`` do
the work, ``jobs`` runs the long ones in the background, ``views`` offers them on screens
and over REST, ``commands`` as ``jiguan import``; ``plugin`` installs the service.
"""
