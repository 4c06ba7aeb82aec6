"""lmc.flows"""
