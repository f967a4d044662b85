import React from 'react';
import useCourseSessionTracking from './hooks/useCourseSessionTracking';

const CourseComponent = ({ courseId, authToken }) => {
    const { activeSessions, isConnected, hasActiveSessions } = useCourseSessionTracking(courseId, authToken);

    return (
        <div>
            <h2>Course Dashboard</h2>
            
            {/* Connection Status */}
            <div className={`status ${isConnected ? 'connected' : 'disconnected'}`}>
                {isConnected ? 'ðŸŸ¢ Connected' : 'ðŸ”´ Disconnected'}
            </div>

            {/* Active Sessions Indicator */}
            {hasActiveSessions ? (
                <div className="active-sessions">
                    <h3>ðŸ”´ Live Attendance Sessions ({activeSessions.length})</h3>
                    {activeSessions.map(session => (
                        <div key={session.sessionId} className="session-card">
                            <p>Session ID: {session.sessionId}</p>
                            <p>Students: {session.studentCount}</p>
                            <p>Started: {new Date(session.startedAt).toLocaleTimeString()}</p>
                        </div>
                    ))}
                </div>
            ) : (
                <div className="no-sessions">
                    <p>No active attendance sessions</p>
                </div>
            )}
        </div>
    );
};

export default CourseComponent;
