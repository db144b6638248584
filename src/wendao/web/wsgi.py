from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from wendao.startup import quick_start

quick_start()  # few garbage-collector passes while Django loads; launch.prepare_worker puts the default back
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendao.web.settings")
application = get_wsgi_application()
