"""Renderers: the same Profile object as HTML, PDF, Markdown and JSON.

Renderers never query the store: everything they show comes from the profile.
"""
