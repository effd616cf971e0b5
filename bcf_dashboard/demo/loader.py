"""Write the demo data: reference data first, then the three documents, then the demo users.

Idempotent by construction: every row is matched on its natural key and saved only
when something differs, so a second run writes nothing (no history rows, no new
``updated_at``). Values go straight to the ORM, tagged with one "Demo loader" batch.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from bcf_dashboard.core.models import Area, AreaPartner, ImportBatch, Membership, Partner, Period, Plan, Population
from bcf_dashboard.demo import DEMO_PASSWORD, common
from bcf_dashboard.demo.build import DemoSet, build_all
from bcf_dashboard.demo.management.commands.load_reference import (
    CREATED,
    UNCHANGED,
    UPDATED,
    load_reference_data,
    upsert,
)
from bcf_dashboard.digests import services as digest_services
from funding.models import Contribution, FundingRequirement, FundingSource, RiskShareSplit, RiskShareTerms
from metrics.models import MetricDefinition, MetricValue
from schemes.models import Scheme, SchemeValue, SchemeYear

BATCH_FILE_NAME = "demo data (manage.py load_demo)"
BANDS = ("all", "18+", "65+")


@dataclass
class Result:
    counter: Counter = field(default_factory=Counter)
    documents: list = field(default_factory=list)  # (name, schemes, scheme values, metric values)
    logins: list = field(default_factory=list)  # (username, name, what they may see)


def refuse_in_production():
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(
            "The demo loader refuses to run in production (BCF_PRODUCTION is set): "
            "it creates users with a published password."
        )


@transaction.atomic
def load_demo() -> Result:
    refuse_in_production()
    return DemoLoader().run()


class DemoLoader:
    def __init__(self):
        self.result = Result()
        self.counter = self.result.counter

    def run(self) -> Result:
        load_reference_data(counter=self.counter)
        self.sources = {s.code: s for s in FundingSource.objects.all()}
        self.batch, batch_created = self._batch()
        self.partners = {
            code: upsert(Partner, {"code": code}, {"name": name, "kind": kind}, self.counter)[0]
            for code, name, kind in common.PARTNERS
        }
        self._areas()
        documents = build_all()
        self.periods = Period.ensure_years(set().union(*(d.years for d in documents)))
        self.year_of = {period.pk: period.financial_year for period in self.periods.values()}
        for document in documents:
            self._apply(document)
        self._users()
        if batch_created:
            self.batch.rows = sum(n for (label, _), n in self.counter.items() if label.endswith(" values"))
            self.batch.created = sum(
                n for (label, s), n in self.counter.items() if label.endswith(" values") and s == CREATED
            )
            self.batch.save(update_fields=["rows", "created"])
        return self.result

    def _batch(self):
        batch = ImportBatch.objects.filter(source=ImportBatch.Source.DEMO, file_name=BATCH_FILE_NAME).first()
        if batch:
            return batch, False
        return ImportBatch.objects.create(source=ImportBatch.Source.DEMO, file_name=BATCH_FILE_NAME), True

    def _areas(self):
        self.areas = {}
        for spec in common.AREAS:
            self.areas[spec["code"]], _ = upsert(
                Area,
                {"code": spec["code"]},
                {"name": spec["name"], "region": common.REGION, "pool_host": self.partners["LA-" + spec["code"]]},
                self.counter,
            )
        for area, partner, role, first, last in common.AREA_PARTNERS:
            upsert(
                AreaPartner,
                {"area": self.areas[area], "partner": self.partners[partner], "role": role},
                {"first_year": first, "last_year": last},
                self.counter,
            )
        for spec in common.PLANS:
            plan, _ = upsert(
                Plan,
                {"name": spec["name"], "first_year": spec["first_year"]},
                {
                    "last_year": spec["last_year"],
                    "agreed_on": datetime.date.fromisoformat(spec["agreed_on"]),
                    "document": spec["document"],
                },
                self.counter,
            )
            plan.areas.set([self.areas[code] for code in spec["areas"]])  # set() writes only the difference
        for area, by_year in common.POPULATIONS.items():
            for year, figures in by_year.items():
                for band, population in zip(BANDS, figures):
                    upsert(
                        Population,
                        {"area": self.areas[area], "year": year, "band": band},
                        {"population": population, "source": common.POPULATION_SOURCE},
                        self.counter,
                    )

    def _apply(self, doc: DemoSet):
        for spec in doc.local_metrics:
            values = {k: v for k, v in spec.items() if k not in {"code", "area"}}
            upsert(MetricDefinition, {"code": spec["code"]}, {**values, "area": self.areas[spec["area"]]}, self.counter)
        self.metrics = {m.code: m for m in MetricDefinition.objects.all()}
        for spec in doc.funding_requirements:
            upsert(
                FundingRequirement,
                {"area": self.areas[spec["area"]], "financial_year": spec["year"]},
                {
                    "nhs_minimum": spec["nhs_minimum"],
                    "social_care_minimum": spec.get("social_care_minimum"),
                    "out_of_hospital_minimum": spec.get("out_of_hospital_minimum"),
                    "note": spec["note"],
                },
                self.counter,
            )
        for spec in doc.contributions:
            upsert(
                Contribution,
                {
                    "area": self.areas[spec["area"]],
                    "financial_year": spec["year"],
                    "partner": self.partners[spec["partner"]],
                    "source": self.sources[spec["source"]],
                },
                {"amount": spec["amount"], "note": spec["note"]},
                self.counter,
            )
        schemes = {}
        for spec in doc.schemes:
            schemes[(spec["area"], spec["ref"])] = self._scheme(spec)
        for spec in doc.risk_shares:
            self._risk_share(spec)
        self._scheme_values(doc.scheme_values, schemes)
        self._metric_values(doc.metric_values)
        self.result.documents.append((doc.name, len(doc.schemes), len(doc.scheme_values), len(doc.metric_values)))

    def _scheme(self, spec):
        fields = {k: v for k, v in spec.items() if k not in {"area", "ref", "years", "provider", "funding_source"}}
        fields["provider"] = self.partners[spec["provider"]] if spec["provider"] else None
        fields["funding_source"] = self.sources[spec["funding_source"]]
        scheme, _ = upsert(Scheme, {"area": self.areas[spec["area"]], "ref": spec["ref"]}, fields, self.counter)
        for year, figures in spec["years"].items():
            upsert(
                SchemeYear,
                {"scheme": scheme, "financial_year": year},
                {
                    "budget": figures["budget"],
                    "forecast_override": figures.get("forecast_override"),
                    "forecast_reason": figures.get("forecast_reason", ""),
                    "stated_forecast_label": figures.get("stated_forecast_label", ""),
                },
                self.counter,
            )
        return scheme

    def _risk_share(self, spec):
        terms, _ = upsert(
            RiskShareTerms,
            {"area": self.areas[spec["area"]], "financial_year": spec["year"]},
            {
                "planned_nea_reduction": spec["planned_nea_reduction"],
                "cost_per_admission": spec["cost_per_admission"],
                "contingency": spec["contingency"],
                "performance_fund": spec["performance_fund"],
                "note": spec["note"],
            },
            self.counter,
        )
        for partner, share in spec["splits"]:
            upsert(
                RiskShareSplit, {"terms": terms, "partner": self.partners[partner]}, {"share_pct": share}, self.counter
            )

    def _scheme_values(self, rows, schemes):
        wanted = {}
        for area, ref, measure, period, kind, value, note in rows:
            key = (schemes[(area, ref)].pk, self.periods[period].pk, measure, kind)
            _put(wanted, key, value, note)
        existing = {
            (v.scheme_id, v.period_id, v.measure, v.kind): v
            for v in SchemeValue.objects.filter(scheme_id__in={key[0] for key in wanted})
        }
        area_of = {scheme.pk: scheme.area_id for scheme in schemes.values()}
        self._write(
            SchemeValue,
            "scheme values",
            wanted,
            existing,
            lambda key: {"scheme_id": key[0], "period_id": key[1], "measure": key[2], "kind": key[3]},
            lambda key: (area_of[key[0]], self.year_of[key[1]]),
        )

    def _metric_values(self, rows):
        wanted = {}
        for area, metric, period, kind, value, note in rows:
            key = (self.areas[area].pk, self.metrics[metric].pk, self.periods[period].pk, kind)
            _put(wanted, key, value, note)
        existing = {
            (v.area_id, v.metric_id, v.period_id, v.kind): v
            for v in MetricValue.objects.filter(area_id__in={key[0] for key in wanted})
        }
        self._write(
            MetricValue,
            "metric values",
            wanted,
            existing,
            lambda key: {"area_id": key[0], "metric_id": key[1], "period_id": key[2], "kind": key[3]},
            lambda key: (key[0], self.year_of[key[2]]),
        )

    def _write(self, model, label, wanted, existing, key_fields, area_year):
        """Insert the new rows and update the changed ones in bulk; leave the rest alone. Bulk writes send
        no signals, so the area-years written are bumped here (``area_year(key)``), as every write path
        does: a year whose only figures are these (Bromley's 2015/16 outturns) is then listed with data."""
        new, changed, now = [], [], timezone.now()
        touched = set()
        for key, (value, note) in wanted.items():
            row = existing.get(key)
            if row is None:
                new.append(model(**key_fields(key), value=value, note=note, batch=self.batch))
                touched.add(area_year(key))
            elif row.value != value or row.note != note or row.batch_id != self.batch.pk:
                row.value, row.note, row.batch, row.updated_at = value, note, self.batch, now
                changed.append(row)
                touched.add(area_year(key))
        model.objects.bulk_create(new, batch_size=500)
        model.objects.bulk_update(changed, ["value", "note", "batch", "updated_at"], batch_size=500)
        digest_services.bump(touched)
        # And a row for every area-year these figures are in, so a database loaded before that rule
        # (Bromley's 2015/16 without one) lists the year too when the demo is loaded again.
        digest_services.ensure(area_year(key) for key in wanted)
        self.counter[(label, CREATED)] += len(new)
        self.counter[(label, UPDATED)] += len(changed)
        self.counter[(label, UNCHANGED)] += len(wanted) - len(new) - len(changed)

    def _users(self):
        admin = common.ADMIN
        self._user(admin["username"], admin["first_name"], admin["last_name"], staff=True)
        self.result.logins.append(
            (admin["username"], f"{admin['first_name']} {admin['last_name']}", "staff and superuser: every area")
        )
        for spec in common.AREAS:
            area = self.areas[spec["code"]]
            for suffix, role in common.ROLE_BY_SUFFIX.items():
                username = f"{spec['slug']}.{suffix}"
                first, last = common.PEOPLE[spec["slug"]][suffix]
                user = self._user(username, first, last)
                upsert(Membership, {"user": user, "area": area, "role": role}, {}, self.counter)
                label = Membership.Role(role).label
                self.result.logins.append((username, f"{first} {last}", f"{label}, {area.name}"))
        cross = common.CROSS_AREA
        user = self._user(cross["username"], cross["first_name"], cross["last_name"])
        for code in cross["areas"]:
            upsert(Membership, {"user": user, "area": self.areas[code], "role": cross["role"]}, {}, self.counter)
        self.result.logins.append(
            (
                cross["username"],
                f"{cross['first_name']} {cross['last_name']}",
                f"{Membership.Role(cross['role']).label}, all five areas",
            )
        )

    def _user(self, username, first, last, *, staff=False):
        user, status = upsert(
            get_user_model(),
            {"username": username},
            {
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": staff,
                "is_superuser": staff,
                "is_active": True,
            },
            self.counter,
        )
        if status == CREATED:
            # Only on creation: hashing again would change the stored hash on every run.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user


def _put(wanted, key, value, note):
    if key in wanted:
        raise ValueError(f"the demo data gives {key} twice")
    wanted[key] = (value, note)
