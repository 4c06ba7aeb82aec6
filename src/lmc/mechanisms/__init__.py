"""lmc.mechanisms"""
