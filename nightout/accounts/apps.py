from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nightout.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
