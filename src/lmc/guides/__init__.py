"""lmc.guides"""
