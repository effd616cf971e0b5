from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "bcf_dashboard.planning"
    label = "planning"
    verbose_name = "The year's plan"

    def ready(self):
        from bcf_dashboard.core import tasks
        from bcf_dashboard.planning.tasks import cycle_tasks

        tasks.register(cycle_tasks)
