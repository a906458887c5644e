# Versioned rows carry `updated_at`, which `lib.models.save_versioned` sets.

import django.utils.timezone
from django.db import migrations, models


def _field():
    return models.DateTimeField(auto_now=True, default=django.utils.timezone.now)


class Migration(migrations.Migration):

    dependencies = [
        ("reintegration", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name=model, name="updated_at", field=_field(),
                            preserve_default=False)
        for model in ("reintegrationplan", "assistanceitem", "milestone", "communityproject")
    ]
