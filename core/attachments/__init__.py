"""Attachments: the files of a record (发票, 合同, 照片, 鉴定报告, 签字扫描件), for every entity type
that declares them (docs/attachments.md). Stored in the database by default, so every web node
serves them; scoped, permission-checked and audited like their record."""
