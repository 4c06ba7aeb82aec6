"""lmc.corridor"""
