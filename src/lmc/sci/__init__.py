"""lmc.sci"""
