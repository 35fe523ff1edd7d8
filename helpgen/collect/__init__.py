"""`helpgen collect`: the service that receives what the built site sends (contact
submissions, feedback, search events) and stores it (store.py) for `helpgen report`."""
