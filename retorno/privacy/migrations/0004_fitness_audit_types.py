# Fitness to travel (retorno.medical): audit event types 220 and 221.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0003_consent'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='event_type',
            field=models.PositiveSmallIntegerField(choices=[(101, 'Person registered'), (102, 'Person changed'), (103, 'Identity document added'), (201, 'Case opened'), (202, 'Case changed'), (203, 'Case member added'), (204, 'Case member removed'), (205, 'Case status changed'), (206, 'Case assigned'), (210, 'Counselling session recorded'), (211, 'Counselling session changed'), (220, 'Fitness to travel recorded'), (221, 'Fitness to travel changed'), (401, 'Consent recorded'), (402, 'Consent withdrawn')]),
        ),
    ]
