# Alternative pathways (retorno.pathways): audit event types 240 and 241.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0006_bid_audit_type'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='event_type',
            field=models.PositiveSmallIntegerField(choices=[(101, 'Person registered'), (102, 'Person changed'), (103, 'Identity document added'), (201, 'Case opened'), (202, 'Case changed'), (203, 'Case member added'), (204, 'Case member removed'), (205, 'Case status changed'), (206, 'Case assigned'), (210, 'Counselling session recorded'), (211, 'Counselling session changed'), (220, 'Fitness to travel recorded'), (221, 'Fitness to travel changed'), (230, 'Vulnerability screening recorded'), (231, 'Best-interest determination recorded'), (240, 'Alternative pathway proposed'), (241, 'Alternative pathway status changed'), (401, 'Consent recorded'), (402, 'Consent withdrawn')]),
        ),
    ]
