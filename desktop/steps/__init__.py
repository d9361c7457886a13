"""One module per step of the guided gesprek; each defines a StepPage subclass."""
