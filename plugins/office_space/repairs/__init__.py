"""Repairs (Art. 23): 日常维修 by the using organisation from its own budget, 大中修 by application to the
bureau, the yearly 大中修项目规划."""
