"""veo3: client for the kie.ai Veo 3.1 API."""
