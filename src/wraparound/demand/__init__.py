"""Demand and capacity, pure and typed (no Django): how many crews and places a place needs.

``erlang`` holds the closed forms (Erlang B for places that turn people away when full,
Erlang C for crews that people wait for); ``simulation`` runs a rota against a year of
demand with ciw and reports what the closed forms cannot (a rota that changes by the hour).
"""
