"""The look: large readable type, clear sections, one primary action colour."""

COUNTER_STYLE = """
QLabel[role="section"] { font-weight: bold; font-size: 15pt; color: #0b3d6e; padding: 6px 0 2px 0; }
QLabel[role="title"] { font-weight: bold; font-size: 17pt; color: #0b3d6e; }
QLabel[role="due"] { font-size: 15pt; padding: 8px; background: #fff8e1; border: 1px solid #ffd54f;
                     border-radius: 4px; }
QLabel[role="info"] { color: #333; padding: 4px; }
QLineEdit[role="scan"] { background: #f1f8e9; border: 2px dashed #7cb342; padding: 6px; }
QPushButton { padding: 6px 14px; }
QPushButton[role="primary"] { background: #0b5cad; color: white; font-weight: bold; border-radius: 4px;
                              padding: 8px 18px; }
QPushButton[role="primary"]:disabled { background: #8fa9c4; }
QPushButton[role="final"] { color: #8a1c14; }
QListWidget::item { padding: 6px; border-bottom: 1px solid #e3e3e3; }
QListWidget::item:selected { background: #0b5cad; color: white; }
QTabBar::tab { padding: 8px 18px; }
QLabel#link { padding: 0 10px; }
QLabel#link[tone="ok"] { color: #1b5e20; }
QLabel#link[tone="warn"] { color: #8a5a00; }
QLabel#link[tone="error"] { color: #b71c1c; font-weight: bold; }
"""
