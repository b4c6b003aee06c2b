// Run once by the mongo image on an empty data directory: one user per service, each on its own database only.
db.getSiblingDB('intake').createUser({user: 'intake', pwd: process.env.INTAKE_PASSWORD, roles: [{role: 'readWrite', db: 'intake'}]});
db.getSiblingDB('analytics').createUser({user: 'analytics', pwd: process.env.ANALYTICS_PASSWORD, roles: [{role: 'readWrite', db: 'analytics'}]});
