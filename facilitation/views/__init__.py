"""Blueprints per audience: organizer, moderator, projector, participant; plus auth and main."""


def register_blueprints(app):
    from . import auth, expert, main, moderator, organizer, participant, program, projector
    for module in (main, auth, organizer, program, moderator, projector, participant, expert):
        app.register_blueprint(module.bp)
    from .helpers import register_error_pages, register_template_helpers
    register_template_helpers(app)
    register_error_pages(app)
