"""公务接待审批单, its lines, its settlement and the 接待清单 (Art. 34)."""
