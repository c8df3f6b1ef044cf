"""Loads one of the Tools scripts (files without a .py suffix) as a module, for its tests."""
import importlib.machinery
import importlib.util
import os

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(script):
    """The module of Tools/<script>, run once (its `main` is not called)."""
    name = script.replace("-", "_")
    loader = importlib.machinery.SourceFileLoader(name, os.path.join(TOOLS, script))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
    loader.exec_module(module)
    return module
