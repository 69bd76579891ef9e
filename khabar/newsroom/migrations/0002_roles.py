"""Create the newsroom roles (مراسل, محرر, مدير) as groups with their
permissions, so a fresh install needs no manual set-up. Permissions are
normally created after all migrations run; create them here first."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from khabar.newsroom.roles import ROLE_PERMISSIONS, sync_roles


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # Historical app configs have no models module, and create_permissions
        # skips those; put back whatever was there afterwards.
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = previous
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0002_newsroom_fields"),
        ("comments", "0001_initial"),
        ("newsroom", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
