# Best-interest determinations for unaccompanied and separated children.

import django.db.models.deletion
import retorno.screening.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_timeline_and_audit_kinds'),
        ('people', '0003_name_search_index'),
        ('screening', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BestInterestDetermination',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('decided_on', models.DateField(validators=[retorno.screening.models.validate_decided_not_future], verbose_name='decided on')),
                ('decision', models.CharField(choices=[('in_best_interest', "Return is in the child's best interest"), ('not_in_best_interest', "Return is not in the child's best interest"), ('pending', 'Pending')], max_length=24, verbose_name='decision')),
                ('panel', models.CharField(max_length=200, verbose_name='panel or decision-maker')),
                ('reasons', models.TextField(blank=True, help_text='Protection detail: read only by roles that may.', verbose_name='summary of reasons')),
                ('guardian_name', models.CharField(blank=True, help_text="The child's guardian or legal representative.", max_length=200, verbose_name='guardian')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bids', to='cases.case', verbose_name='case')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bids', to='people.person', verbose_name='child')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'best-interest determination',
                'ordering': ['-decided_on', '-id'],
                'indexes': [models.Index(fields=['case', '-decided_on'], name='bid_case_on')],
            },
        ),
    ]
