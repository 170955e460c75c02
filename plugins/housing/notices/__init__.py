"""Policy notices (Art. 25, 及时公布有关政策、信息): published by the bureau, shown to staff on their
home page."""
